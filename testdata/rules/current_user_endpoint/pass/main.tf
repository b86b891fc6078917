# The user and the conversation by id: what a data action can call.
resource "genesyscloud_integration_action" "user" {
  name           = "Get user"
  category       = "Users"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/users/$${input.userId}"
  }
}

resource "genesyscloud_integration_action" "email" {
  name           = "Get email"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/conversations/emails/$${input.conversationId}"
  }
}

# The org and the token of the client itself.
resource "genesyscloud_integration_action" "org" {
  name           = "Get org"
  category       = "Org"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/organizations/me"
  }
}

resource "genesyscloud_integration_action" "token" {
  name           = "Token details"
  category       = "Org"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/tokens/me"
  }
}

# Not the Platform API: a Zendesk `me`.
resource "genesyscloud_integration_action" "zendesk_me" {
  name           = "Zendesk me"
  category       = "Zendesk"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://example.zendesk.com/api/v2/users/me.json"
  }
}
