# Called from the inbound flow to tag calls from the CRM.
resource "genesyscloud_integration_action" "set_wrapup_from_crm" {
  name           = "Set wrap-up from CRM"
  category       = "Acme CRM"
  integration_id = genesyscloud_integration.data_actions.id
  contract_input = jsonencode({
    type = "object"
    properties = {
      conversationId = { type = "string" }
      codeId         = { type = "string" }
    }
  })
  contract_output = jsonencode({ type = "object", properties = {} })
  config_request {
    request_type         = "PATCH"
    request_url_template = "/api/v2/conversations/$${input.conversationId}"
    request_template     = "{\"wrapupCode\": \"$${input.codeId}\"}"
  }
}

resource "genesyscloud_integration_action" "queue_codes" {
  name           = "Queue wrap-up codes"
  category       = "Acme CRM"
  integration_id = genesyscloud_integration.data_actions.id
  contract_input  = jsonencode({ type = "object", properties = { queueId = { type = "string" } } })
  contract_output = jsonencode({ type = "object", properties = {} })
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}/wrapupcodes"
  }
}

resource "genesyscloud_integration_action" "add_queue_code" {
  name           = "Offer a wrap-up code on a queue"
  category       = "Acme CRM"
  integration_id = genesyscloud_integration.data_actions.id
  contract_input  = jsonencode({ type = "object", properties = { queueId = { type = "string" }, codeId = { type = "string" } } })
  contract_output = jsonencode({ type = "object", properties = {} })
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}/wrapupcodes"
    request_template     = "[{\"id\": \"$${input.codeId}\"}]"
  }
}
