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

# Braces Velocity does not read: a `$` left out, and a path parameter as the API reference
# writes it. Both go into the request as written.
resource "genesyscloud_integration_action" "bare_braces" {
  name           = "Estimated wait"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/routing/queues/{input.queueId}/mediatypes/{mediaType}/estimatedwaittime"
  }
}

# The same in the request body and the response: `{input.queueName}` is sent as written, and a
# response of `{rawResult}` or `{names}` (a translation map's name) is not even JSON.
resource "genesyscloud_integration_action" "bare_braces_in_templates" {
  name           = "Rename queue"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PUT"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}"
    request_template     = "{\"name\": \"{input.queueName}\", \"acwSettings\": {\"wrapupPrompt\": \"OPTIONAL\"}}"
  }
  config_response {
    translation_map = {
      names = "$.entities[*].name"
    }
    success_template = "{\"raw\": {rawResult}, \"names\": {names}}"
  }
}
