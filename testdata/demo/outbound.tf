resource "genesyscloud_outbound_ruleset" "sales_followup" {
  name     = "Sales follow-up"
  queue_id = module.sales_queue.queue_id

  rules {
    name     = "Call back escalations"
    order    = 0
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.standard["Escalated"].id]
    }
    actions {
      type             = "Action"
      action_type_name = "SCHEDULE_CALLBACK"
      properties = {
        callbackOffset = "120"
      }
    }
  }

  rules {
    name     = "Stop after a sale"
    order    = 1
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = ["${genesyscloud_routing_wrapupcode.sale.id}"]
    }
    actions {
      type             = "Action"
      action_type_name = "DO_NOT_DIAL"
    }
  }
}

resource "genesyscloud_outbound_campaign" "renewals" {
  name            = "Policy renewals"
  dialing_mode    = "preview"
  queue_id        = module.sales_queue.queue_id
  rule_set_ids    = [genesyscloud_outbound_ruleset.sales_followup.id]
  caller_name     = "Acme Insurance"
  caller_address  = "+35312345678"
  campaign_status = "off"
}
