variable "queue_id" {}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = var.queue_id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

# A flow file named by a variable with no value: the flow is not checked.
variable "inbound_flow_file" {}

resource "genesyscloud_flow" "inbound" {
  filepath = var.inbound_flow_file
}
