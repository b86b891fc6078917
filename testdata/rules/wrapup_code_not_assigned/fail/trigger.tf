# `In` with its list under `value` (as a Genesys blueprint writes it): `Escalated` is not on
# `Support`, so the trigger never fires for it.
resource "genesyscloud_processautomation_trigger" "escalations" {
  name       = "Escalations"
  topic_name = "v2.detail.events.conversation.{id}.acw"
  enabled    = true
  target {
    id   = "00000000-0000-4000-8000-000000000001"
    type = "Workflow"
  }
  match_criteria = jsonencode([
    { jsonPath = "queueId", operator = "Equal", value = genesyscloud_routing_queue.support.id },
    {
      jsonPath = "wrapupCode"
      operator = "In"
      value    = [genesyscloud_routing_wrapupcode.resolved.id, genesyscloud_routing_wrapupcode.escalated.id]
    }
  ])
}
