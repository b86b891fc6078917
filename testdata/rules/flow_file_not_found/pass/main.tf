resource "genesyscloud_flow" "inbound" {
  filepath = "${path.module}/flows/inbound_main.yaml"
}
