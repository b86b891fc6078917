# The agent's active emails: "for the logged in user", and a data action has none.
resource "genesyscloud_integration_action" "agent_emails" {
  name           = "Get agent emails"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/conversations/emails"
  }
}

# `me` on an absolute URL, with a query string: the same operation exists for a user by id.
resource "genesyscloud_integration_action" "whoami" {
  name           = "Who am I"
  category       = "Users"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://api.mypurecloud.de/api/v2/users/me?expand=presence"
  }
}

# The caller's time off requests.
resource "genesyscloud_integration_action" "time_off" {
  name           = "Request time off"
  category       = "WFM"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/workforcemanagement/timeoffrequests"
    request_template     = "$${input.rawRequest}"
  }
}
