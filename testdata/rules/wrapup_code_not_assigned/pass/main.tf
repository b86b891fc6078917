resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.resolved.id,
    genesyscloud_routing_wrapupcode.escalated.id,
  ]
}

# Unmanaged codes: the assignment lives in the org, so nothing can be concluded without state.
resource "genesyscloud_routing_queue" "unmanaged" {
  name = "Unmanaged"
}

variable "queue_id" {}

resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry escalations"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name = "escalated"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

resource "genesyscloud_outbound_ruleset" "unknown_queue" {
  name     = "Queue from a variable"
  queue_id = var.queue_id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

resource "genesyscloud_outbound_ruleset" "unmanaged" {
  name     = "Unmanaged queue"
  queue_id = genesyscloud_routing_queue.unmanaged.id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}
