resource "genesyscloud_routing_queue_conditional_group_routing" "sales" {
  queue_id = genesyscloud_routing_queue.sales.id
  rules {
    operator        = "LessThanOrEqualTo"
    condition_value = 0
  }
  rules {
    evaluated_queue_id = data.genesyscloud_routing_queue.support.id
    operator           = "GreaterThanOrEqualTo"
    condition_value    = 5
  }
}

resource "genesyscloud_auth_role" "sales_quality" {
  name = "Sales quality"
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
          queue_id = genesyscloud_routing_queue.sales.id
        }
      }
    }
  }
}

resource "genesyscloud_recording_media_retention_policy" "sales_calls" {
  name = "Keep sales calls"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids = [genesyscloud_routing_queue.sales.id]
      }
    }
  }
}
