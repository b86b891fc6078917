# One root module per environment (usually one org each): the same codes in each are no clash.
resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
