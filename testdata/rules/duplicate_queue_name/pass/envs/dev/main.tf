# Each environment is a root module of its own, applied to its own org.
resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}
