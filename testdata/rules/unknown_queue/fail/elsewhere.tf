# Queue references that pair with nothing are checked too: a retention policy's queues without
# codes, conditional group routing, and a role's permission condition.
resource "genesyscloud_recording_media_retention_policy" "support_calls" {
  name = "Keep support calls"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids = ["Support", genesyscloud_routing_queue.support.id]
      }
    }
  }
}

resource "genesyscloud_routing_queue_conditional_group_routing" "support" {
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    operator        = "LessThanOrEqualTo"
    condition_value = 0
  }
  rules {
    evaluated_queue_id = genesyscloud_routing_wrapupcode.resolved.id
    operator           = "GreaterThanOrEqualTo"
    condition_value    = 5
  }
}

resource "genesyscloud_auth_role" "support_quality" {
  name = "Support quality"
  permission_policies {
    domain      = "quality"
    entity_name = "evaluation"
    action_set  = ["add"]
    conditions {
      conjunction = "AND"
      terms {
        variable_name = "Conversation.queues"
        operator      = "EQ"
        operands {
          type     = "QUEUE"
          queue_id = "Support"
        }
      }
    }
  }
}
