# Automation that matches a code on any of several queues uses it rightly when one of them offers
# it: the policy keeps `Resolved` calls of `Support` (`Sales` never has them), and the trigger fires
# for `Escalated` on `Support`.
resource "genesyscloud_routing_queue" "sales" {
  name              = "Sales"
  wrapup_codes      = []
  acw_wrapup_prompt = "OPTIONAL"
}

resource "genesyscloud_recording_media_retention_policy" "keep" {
  name = "Keep resolved"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids   = [genesyscloud_routing_queue.sales.id, genesyscloud_routing_queue.support.id]
        wrapup_code_ids = [genesyscloud_routing_wrapupcode.resolved.id]
      }
    }
  }
}

# One queue's codes are not known (it leaves them to the org) and the other lacks the code: it may
# be offered there, so nothing can be concluded.
resource "genesyscloud_recording_media_retention_policy" "unmanaged" {
  name = "Keep escalations"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids   = [genesyscloud_routing_queue.sales.id, genesyscloud_routing_queue.unmanaged.id]
        wrapup_code_ids = [genesyscloud_routing_wrapupcode.escalated.id]
      }
    }
  }
}

resource "genesyscloud_processautomation_trigger" "escalations" {
  name       = "Escalations"
  topic_name = "v2.detail.events.conversation.{id}.acw"
  enabled    = true
  target {
    id   = "00000000-0000-4000-8000-000000000001"
    type = "Workflow"
  }
  match_criteria = jsonencode([
    {
      jsonPath = "queueId"
      operator = "In"
      values   = [genesyscloud_routing_queue.sales.id, genesyscloud_routing_queue.support.id]
    },
    { jsonPath = "wrapupCode", operator = "Equal", value = genesyscloud_routing_wrapupcode.escalated.id },
  ])
}

# A mapped code that one campaign's queue offers.
resource "genesyscloud_outbound_campaign" "sales" {
  name     = "Sales"
  queue_id = genesyscloud_routing_queue.sales.id
}

resource "genesyscloud_outbound_campaign" "support" {
  name     = "Support callbacks"
  queue_id = genesyscloud_routing_queue.support.id
}

resource "genesyscloud_outbound_wrapupcodemappings" "mappings" {
  default_set = ["Right_Party_Contact"]
  mappings {
    wrapup_code_id = genesyscloud_routing_wrapupcode.resolved.id
    flags          = ["Contact_UnCallable"]
  }
}
