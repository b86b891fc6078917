resource "genesyscloud_integration_action" "voice_wrapup" {
  name           = "Set wrap-up (forum answer)"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/conversations/voice/$${input.conversationId}/wrapup"
  }
}

resource "genesyscloud_integration_action" "interaction" {
  name           = "Patch interaction"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PATCH"
    request_url_template = "https://api.mypurecloud.ie/api/v2/interactions/$${input.conversationId}/actions"
  }
}

resource "genesyscloud_integration_action" "queue_codes" {
  name           = "Queue wrap-up codes (path in title case)"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/API/V2/Routing/Queues/$${input.queueId}/WrapupCodes"
  }
}
