resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

resource "genesyscloud_routing_queue" "collections" {
  name         = "Collections"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry escalations"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "escalated"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

# The campaign dials through another queue, which lacks the code too.
resource "genesyscloud_outbound_campaign" "collections" {
  name         = "Collections"
  queue_id     = genesyscloud_routing_queue.collections.id
  rule_set_ids = [genesyscloud_outbound_ruleset.retry.id]
}

resource "genesyscloud_recording_media_retention_policy" "keep" {
  name = "Keep escalations"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids   = [genesyscloud_routing_queue.support.id]
        wrapup_code_ids = ["${genesyscloud_routing_wrapupcode.escalated.id}"]
      }
    }
  }
}
