# Velocity is case-sensitive: `$Input` and `${INPUT}` are not the data action's `input`, and
# go into the request as written.
resource "genesyscloud_integration_action" "summary" {
  name           = "Get Summary"
  category       = "Genesys Cloud Data Actions"
  integration_id = "2b3c4d5e-0000-4000-8000-000000000001"
  contract_input = jsonencode({
    type       = "object"
    properties = { conversationId = { type = "string" }, tag = { type = "string" } }
  })
  contract_output = jsonencode({ type = "object", properties = {} })
  config_request {
    request_url_template = "/api/v2/conversations/$Input.conversationId/summaries"
    request_type         = "GET"
    request_template     = "{\"externalTag\": \"$${INPUT.tag}\"}"
  }
  config_response {
    success_template = "$${rawResult}"
  }
}
