resource "genesyscloud_integration_action" "read_codes" {
  name           = "Participant wrap-up codes"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}/wrapupcodes"
  }
}

# Participant data, as Genesys's own data-action module sets it.
resource "genesyscloud_integration_action" "set_attributes" {
  name           = "Set participant data"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PATCH"
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}/attributes"
    request_template     = "{\"attributes\": {\"survey\": \"$${input.survey}\"}}"
  }
}
