resource "genesyscloud_flow" "main_line" {
  filepath = "${path.module}/flows/main_line.yaml"
  substitutions = {
    flow_name      = "Acme main line"
    support_queue  = genesyscloud_routing_queue.support.name
    claims_queue   = genesyscloud_routing_queue.claims.name
    callback_code  = genesyscloud_routing_wrapupcode.standard["Callback Requested"].name
  }
}

# Sales follow-up: when an agent wraps a sales call up as "Sale", start the onboarding workflow.
resource "genesyscloud_processautomation_trigger" "onboarding" {
  name       = "Start onboarding after a sale"
  topic_name = "v2.detail.events.conversation.{id}.acw"
  enabled    = true
  target {
    type = "Workflow"
    id   = "0c5e1b52-3a4d-4f6e-8b7a-9d0e1f2a3b4c"
  }
  match_criteria = jsonencode([
    {
      jsonPath = "wrapupCode"
      operator = "Equal"
      value    = genesyscloud_routing_wrapupcode.sale.id
    },
    {
      jsonPath = "queueId"
      operator = "In"
      values   = [genesyscloud_routing_queue.support.id]
    },
  ])
}
