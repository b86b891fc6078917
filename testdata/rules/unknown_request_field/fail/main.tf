resource "genesyscloud_integration_action" "set_wrapup" {
  name           = "Set wrap-up"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/conversations/calls/$${input.conversationId}/participants/$${input.participantId}/communications/$${input.communicationId}/wrapup"
    request_template     = <<-EOT
      {
        "wrapUpCodeId": "$${input.codeId}",
        "notes": "$${input.notes}"
      }
    EOT
  }
}

resource "genesyscloud_integration_action" "patch_participant" {
  name           = "Patch participant"
  category       = "Conversations"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PATCH"
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}"
    request_template     = "{\"wrapup\": {\"wrapupCode\": \"$${input.codeId}\"}}"
  }
}

# Keys are checked when values are Terraform's, known only at apply: in `jsonencode` and in a
# string template alike.
resource "genesyscloud_routing_wrapupcode" "done" {
  name = "Done"
}

resource "genesyscloud_integration_action" "by_resource_ids" {
  name           = "Wrap up by resource ids"
  category       = "Conversations"
  integration_id = "5f1c2a52-0000-4000-8000-000000000001"
  config_request {
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}"
    request_type         = "PATCH"
    request_template = jsonencode({
      wrapup        = { code = genesyscloud_routing_wrapupcode.done.id }
      wrapUpCodeId  = genesyscloud_routing_wrapupcode.done.id
    })
  }
}

resource "genesyscloud_integration_action" "by_template" {
  name           = "Wrap up by template"
  category       = "Conversations"
  integration_id = "5f1c2a52-0000-4000-8000-000000000001"
  config_request {
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}"
    request_type         = "PATCH"
    request_template     = "{\"wrapup\": {\"code\": \"${genesyscloud_routing_wrapupcode.done.id}\"}, \"wrapupCodeId\": \"${genesyscloud_routing_wrapupcode.done.id}\"}"
  }
}

# `jsonencode` inside a template, as Terraform's JSON syntax has to write it.
resource "genesyscloud_integration_action" "wrapped" {
  name           = "Wrap up, wrapped"
  category       = "Conversations"
  integration_id = "5f1c2a52-0000-4000-8000-000000000001"
  config_request {
    request_url_template = "/api/v2/conversations/$${input.conversationId}/participants/$${input.participantId}"
    request_type         = "PATCH"
    request_template     = "${jsonencode({ wrapUpCodeId = genesyscloud_routing_wrapupcode.done.id })}"
  }
}
