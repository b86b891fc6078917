# A data action that wraps up with a code on a queue, both named by the configuration's own ids
# (known only at apply): Genesys Cloud rejects a code the queue does not offer.
resource "genesyscloud_integration_action" "wrap_up" {
  name           = "Wrap up as escalated"
  category       = "Conversations"
  integration_id = "5f1c2a52-0000-4000-8000-000000000001"
  config_request {
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}"
    request_type         = "PATCH"
    request_template = jsonencode({
      wrapup = {
        code = genesyscloud_routing_wrapupcode.escalated.id
        name = "Escalated"
      }
      queueId = genesyscloud_routing_queue.collections.id
    })
  }
}
