# Automation that matches a code on any of several queues, none of which offers it: one finding
# per code, which names every queue.
resource "genesyscloud_routing_queue" "billing" {
  name              = "Billing"
  wrapup_codes      = []
  acw_wrapup_prompt = "OPTIONAL"
}

resource "genesyscloud_recording_media_retention_policy" "any_queue" {
  name = "Keep escalations anywhere"
  media_policies {
    email_policy {
      conditions {
        for_queue_ids = [genesyscloud_routing_queue.billing.id, genesyscloud_routing_queue.support.id]
        wrapup_code_ids = [
          genesyscloud_routing_wrapupcode.resolved.id,
          genesyscloud_routing_wrapupcode.escalated.id,
        ]
      }
    }
  }
}

# The mappings' code is on no campaign's queue of the configuration (`Collections` has only
# `Resolved`): without org state listing the campaigns, another campaign may offer it, so it
# is not reported (tests/state.rs checks it against a listing).
resource "genesyscloud_outbound_wrapupcodemappings" "mappings" {
  default_set = ["Right_Party_Contact"]
  mappings {
    wrapup_code_id = genesyscloud_routing_wrapupcode.resolved.id
    flags          = ["Contact_UnCallable"]
  }
  mappings {
    wrapup_code_id = genesyscloud_routing_wrapupcode.escalated.id
    flags          = ["Contact_UnCallable"]
  }
}
