# JSON once filled in: references as values, in strings, with arguments.
resource "genesyscloud_integration_action" "start_flow" {
  name           = "Start flow"
  category       = "Flows"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/flows/executions"
    request_template     = "{\"flowId\": \"$${input.flowId}\", \"name\": \"$esc.jsonString($input.name)\", \"inputData\": {\"tags\": [$!{input.tag}], \"data\": $${input.data}}}"
  }
  config_response {
    translation_map = {
      id = "$.id"
    }
    success_template = "{\"id\": $${id}, \"raw\": $${rawResult}}"
  }
}

# Not meant to be JSON, or not readable as JSON without running Velocity: the raw request, a
# form body, directives, and an error that a reference may complete.
resource "genesyscloud_integration_action" "other_bodies" {
  name           = "Get token"
  category       = "Auth"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://login.example.com/oauth/token"
    headers = {
      "Content-Type" = "application/x-www-form-urlencoded"
    }
    request_template = "{grant_type=client_credentials}"
  }
  config_response {
    success_template = "#if($rawResult.ok){\"ok\": true}#else{\"ok\": false}#end"
  }
}

resource "genesyscloud_integration_action" "completed_by_references" {
  name           = "Search"
  category       = "Search"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://search.example.com/query"
    request_template     = "{\"q\": \"$${input.q}\" $${input.moreFields}}"
  }
  config_response {
    success_template = "$${rawResult}"
  }
}

# `{rawResult}` missing its `$` is `unresolved-reference`'s finding, not a second one here.
resource "genesyscloud_integration_action" "bare_raw_result" {
  name           = "Raw"
  category       = "Search"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://search.example.com/query"
  }
  config_response {
    success_template = "{rawResult}"
  }
}

# Defaults written as JSON, or put in inside quotes; an escaped reference, which Velocity prints
# without its backslash; an escape tool in quotes.
resource "genesyscloud_integration_action" "defaults" {
  name           = "Build info"
  category       = "Example"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://build.example.com/info"
    request_template     = "{\"note\": \"$esc.jsonString($input.note)\", \"text\": \"run \\$${input.flowId}\"}"
  }
  config_response {
    translation_map = {
      nameValue   = "$.name"
      buildNumber = "$.build-number"
      tags        = "$.tags"
    }
    translation_map_defaults = {
      buildNumber = "\"UNKNOWN\""
      nameValue   = "UNKNOWN"
      tags        = "[]"
    }
    success_template = "{ \"name\": \"$${nameValue}\", \"build\": $${buildNumber}, \"tags\": $${tags} }"
  }
}

# JSON with Terraform values not known before apply: each could be any one value, in a string,
# as a value, as the members of an object or array, or next to where a comma may come from it.
variable "flow_id" {}
variable "extra_fields" {}
variable "items" {}

resource "genesyscloud_integration_action" "with_terraform_values" {
  name           = "Start flow with Terraform values"
  category       = "Flows"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/flows/executions"
    request_template     = "{\"flowId\": \"${var.flow_id}\", \"inputData\": ${jsonencode(var.items)}, \"tags\": [${join(",", var.items)}], ${var.extra_fields}}"
  }
  config_response {
    success_template = format("{\"id\": %s, \"flow\": %q}", var.flow_id, var.flow_id)
  }
}

resource "genesyscloud_integration_action" "values_completing_the_json" {
  name           = "Terraform values completing the JSON"
  category       = "Flows"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/flows/executions"
    request_template     = "{\"flowId\": \"x\" ${var.extra_fields}}"
  }
  config_response {
    success_template = "{${var.extra_fields}}"
  }
}
