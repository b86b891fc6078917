# Objects that exist in the org, looked up by name: checked against --state.
data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

data "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}

data "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

data "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolvd"
}

# Support does not offer Escalated (its codes come from the org: Resolved, No Answer).
resource "genesyscloud_outbound_ruleset" "support_retry" {
  name     = "Support retry"
  queue_id = data.genesyscloud_routing_queue.support.id
  rules {
    name     = "escalations"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [data.genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

# Sales offers Escalated: fine.
resource "genesyscloud_outbound_ruleset" "sales_retry" {
  name     = "Sales retry"
  queue_id = data.genesyscloud_routing_queue.sales.id
  rules {
    name     = "escalations"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [data.genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

# A raw id from another org.
resource "genesyscloud_outbound_campaign" "old" {
  name     = "Old campaign"
  queue_id = "0badc0de-0000-4000-8000-000000000000"
}

# A trigger written with the org's raw ids (as copied from the admin UI): `Resolved` on `Sales`,
# which does not offer it.
resource "genesyscloud_processautomation_trigger" "resolved_sales" {
  name       = "Survey resolved sales calls"
  topic_name = "v2.detail.events.conversation.{id}.acw"
  enabled    = true
  target {
    type = "Workflow"
    id   = "5b0d3f7a-9c2e-4a6b-8d1f-3e5a7c9b1d20"
  }
  match_criteria = jsonencode([
    { jsonPath = "wrapupCode", operator = "In", values = ["7f3c2a1e-5b8d-4c6f-9e2a-1d4b6c8e0f21"] },
    { jsonPath = "queueId", operator = "Equal", value = "9a6c3e1f-7d4b-4f2a-8e6c-2b5d9f1a3c84" },
  ])
}

# A data action whose request carries a literal code and queue: `Escalated` on `Support`.
resource "genesyscloud_integration_action" "tag_support" {
  name           = "Tag support call"
  category       = "Acme"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://crm.example.com/api/tag"
    request_template     = "{\"queue\": \"4d8f2b6a-1e3c-4a7d-b9f5-6c2e8a0d4b71\", \"code\": \"b2e9d4a7-3c1f-4e8b-a6d5-9f0c2e7b4a13\"}"
  }
}
