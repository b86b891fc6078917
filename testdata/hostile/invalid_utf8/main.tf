resource "genesyscloud_routing_wrapupcode" "a" {
  name = "Café ÿþ"
}
