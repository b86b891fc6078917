resource "genesyscloud_integration_action" "set_wrapup" {
  name           = "Set wrap-up"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/conversations/calls/$${input.conversationId}/participants/$${input.participantId}/communications/$${input.communicationId}/wrapup"
    request_template     = "{\"code\": \"$${input.codeId}\", \"notes\": \"$${input.notes}\"}"
  }
}

# A participant's state changed from outside the conversation.
resource "genesyscloud_integration_action" "mute" {
  name           = "Mute participant"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PATCH"
    request_url_template = "/api/v2/conversations/calls/$${input.conversationId}/participants/$${input.participantId}"
    request_template     = "{\"muted\": true}"
  }
}
