resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_flow" "inbound" {
  filepath = "flow.yaml"
  substitutions = {
    flow_name     = "Main line"
    support_queue = genesyscloud_routing_queue.support.name
  }
}
