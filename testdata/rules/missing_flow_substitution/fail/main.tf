resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_flow" "inbound" {
  filepath = "flow.yaml"
  substitutions = {
    support_queue = genesyscloud_routing_queue.support.name
  }
}
