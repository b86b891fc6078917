resource "genesyscloud_integration_action" "chat" {
  name           = "Chat transcript"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/conversations/chats/$${input.conversationId}"
  }
}

# Deprecated, with the replacement named by the API's own summary.
resource "genesyscloud_integration_action" "queue_members" {
  name           = "Queue members"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}/users"
  }
}
