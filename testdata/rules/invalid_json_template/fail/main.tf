# A comma left out between two fields (as a public blueprint's flow-execution action had it).
resource "genesyscloud_integration_action" "start_flow" {
  name           = "Start flow"
  category       = "Flows"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/flows/executions"
    request_template     = format("{\"flowId\":\"%s\" \"inputData\": {\"queue\": \"$${input.queue}\"}}", "7b1d8f0e-0000-4000-8000-000000000001")
  }
  config_response {
    success_template = "$${rawResult}"
  }
}

# A trailing comma in a heredoc body, and a success template in single quotes.
resource "genesyscloud_integration_action" "update_ticket" {
  name           = "Update ticket"
  category       = "Zendesk"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PUT"
    request_url_template = "https://acme.zendesk.com/api/v2/tickets/$${input.ticketId}"
    headers = {
      "Content-Type" = "application/json; charset=UTF-8"
    }
    request_template = <<-EOT
      {
        "ticket": {
          "status": "solved",
          "comment": { "body": "$esc.jsonString($input.note)" },
        }
      }
    EOT
  }
  config_response {
    translation_map = {
      status = "$.ticket.status"
    }
    success_template = "{'status': $${status}}"
  }
}

# A default that is not JSON, put in outside quotes (as the provider's own example has it), and
# an escape tool that does not quote.
resource "genesyscloud_integration_action" "build_info" {
  name           = "Build info"
  category       = "Example"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://build.example.com/info"
    request_template     = "{\"note\": $esc.jsonString($input.note)}"
  }
  config_response {
    translation_map = {
      nameValue   = "$.name"
      buildNumber = "$.build-number"
    }
    translation_map_defaults = {
      buildNumber = "UNKNOWN"
    }
    success_template = "{ \"name\": $${nameValue}, \"build\": $${buildNumber} }"
  }
}

# Not JSON whatever the Terraform values are: the comma after the flow id is missing.
variable "flow_id" {}

resource "genesyscloud_integration_action" "terraform_value" {
  name           = "Start flow by variable"
  category       = "Flows"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/flows/executions"
    request_template     = "{\"flowId\": \"${var.flow_id}\" \"name\": \"action execute\"}"
  }
}

# The same, as `format()` writes it (seen in a public exporter project).
resource "genesyscloud_integration_action" "formatted" {
  name           = "Start flow by format"
  category       = "Flows"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/flows/executions"
    request_template     = format("{\"flowId\":\"%s\" \"name\":\"action execute\"}", var.flow_id)
  }
  config_response {
    success_template = "{\"id\": ${var.flow_id}, \"ok\": true,}"
  }
}
