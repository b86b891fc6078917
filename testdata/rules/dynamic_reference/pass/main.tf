variable "queue_id" {
  default = "8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e01"
}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_routing_queue" "q" {
  name         = "Q"
  wrapup_codes = [genesyscloud_routing_wrapupcode.escalated.id]
}

resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = genesyscloud_routing_queue.q.id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}
