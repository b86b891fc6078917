resource "genesyscloud_integration_action" "codes" {
  name           = "List wrap-up codes"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://api.mypurecloud.ie/api/v2/routing/wrapupcodes?pageSize=100"
  }
}

# Not the Platform API: not checked.
resource "genesyscloud_integration_action" "crm" {
  name           = "CRM lookup"
  category       = "CRM"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://crm.example.com/api/v2/customers/$${input.id}"
  }
}

# A Zendesk integration's actions: relative URLs are Zendesk's own `/api/v2`, not the Platform
# API's, whether the integration is known (its type) or not (Zendesk's `.json` paths).
resource "genesyscloud_integration" "zendesk" {
  integration_type = "zendesk-data-actions"
  intended_state   = "ENABLED"
  config {
    name = "Zendesk"
  }
}

resource "genesyscloud_integration_action" "zendesk_search" {
  name           = "Search Zendesk users"
  category       = "Zendesk"
  integration_id = genesyscloud_integration.zendesk.id
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/users/search?query=$${input.email}"
  }
}

variable "zendesk_integration_id" {}

resource "genesyscloud_integration_action" "zendesk_ticket" {
  name           = "Create Zendesk ticket"
  category       = "Zendesk"
  integration_id = var.zendesk_integration_id
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/tickets.json"
  }
}

# One action for every media type: the media segment is known only at run time.
resource "genesyscloud_integration_action" "wrapup_any_media" {
  name           = "Wrap up any media"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/conversations/$${input.mediaType}/$${input.conversationId}/participants/$${input.participantId}/communications/$${input.communicationId}/wrapup"
    request_template     = "{\"code\": \"$${input.codeId}\"}"
  }
}

# A generic action: the path is the caller's.
resource "genesyscloud_integration_action" "generic_get" {
  name           = "Generic GET"
  category       = "Genesys"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/$${input.apiPath}"
  }
}
