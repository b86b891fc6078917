resource "genesyscloud_routing_queue" "overflow" {
  name = "Overflow"
}
