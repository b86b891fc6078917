resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "billing" {
  name = "Billing Enquiry"
}

resource "genesyscloud_routing_queue" "support" {
  name            = "Support"
  wrapup_codes    = [genesyscloud_routing_wrapupcode.resolved.id]
  queue_flow_id   = genesyscloud_flow.hold.id
}

resource "genesyscloud_routing_queue" "billing" {
  name         = "Billing"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

resource "genesyscloud_flow" "inbound" {
  filepath = "${path.module}/flows/inbound.yaml"
  substitutions = {
    support_queue = genesyscloud_routing_queue.support.name
    billing_queue = genesyscloud_routing_queue.billing.name
  }
}

resource "genesyscloud_flow" "hold" {
  filepath = "${path.module}/flows/hold.yaml"
}
