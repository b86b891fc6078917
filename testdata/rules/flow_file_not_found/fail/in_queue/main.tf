resource "genesyscloud_flow" "in_queue" {
  filepath = "${path.module}/in_queue/in_queue.yaml"
}
