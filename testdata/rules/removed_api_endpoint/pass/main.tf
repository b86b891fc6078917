resource "genesyscloud_integration_action" "message" {
  name           = "Message conversation"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/conversations/messages/$${input.conversationId}"
  }
}
