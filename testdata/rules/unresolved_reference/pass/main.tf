variable "names" {
  default = ["Resolved", "Escalated"]
}

resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(var.names)
  name     = each.key
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [for c in genesyscloud_routing_wrapupcode.all : c.id]

  dynamic "members" {
    for_each = []
    content {
      user_id = members.value
    }
  }
}

module "codes" {
  source = "./codes"
}

resource "genesyscloud_routing_queue" "other" {
  name         = "Other"
  wrapup_codes = [module.codes.resolved_id]
}

# Positions that hold no references, and blocks that declare or retire addresses.
terraform {
  required_providers {
    genesyscloud = {
      source = "mypurecloud/genesyscloud"
    }
  }
}

variable "regions" {
  type = list(object({ name = string, primary = optional(bool) }))
}

provider "genesyscloud" {
  alias      = "emea"
  aws_region = var.regions[0].name
}

resource "genesyscloud_routing_wrapupcode" "emea" {
  provider = genesyscloud.emea
  name     = "Resolved"

  lifecycle {
    ignore_changes       = [description]
    replace_triggered_by = [genesyscloud_routing_queue.support]
  }

  provisioner "local-exec" {
    when       = destroy
    on_failure = continue
    command    = "echo ${self.name}"
  }
}

resource "genesyscloud_routing_wrapupcode" "audited" {
  name = "Audited"

  lifecycle {
    action_trigger {
      events  = [before_create, after_update]
      actions = [action.local_command.notify]
    }
  }
}

# `from` names what the configuration no longer declares.
moved {
  from = genesyscloud_routing_wrapupcode.old_emea
  to   = genesyscloud_routing_wrapupcode.emea
}

removed {
  from = genesyscloud_routing_queue.retired
  lifecycle {
    destroy = false
  }
}

import {
  to = genesyscloud_routing_wrapupcode.emea
  id = "8c1a2f6e-2b41-4a47-9d7e-2f0c6f0b1a11"
}

# A check block's own data source is declared for the block.
check "queue_is_staffed" {
  data "genesyscloud_routing_queue" "live" {
    name = genesyscloud_routing_queue.support.name
  }
  assert {
    condition     = data.genesyscloud_routing_queue.live.id != ""
    error_message = "the support queue is missing"
  }
}

module "emea_codes" {
  source = "./codes"
  providers = {
    genesyscloud = genesyscloud.emea
  }
}

resource "genesyscloud_integration_action" "lookup" {
  name                   = "Lookup"
  category               = "Lookup"
  integration_id         = "2b3c4d5e-0000-4000-8000-000000000001"
  contract_input         = jsonencode({ type = "object" })
  contract_output        = jsonencode({ type = "object" })
  config_request {
    request_url_template = "/api/v2/routing/queues/$${input.queueId}"
    request_type         = "GET"
    request_template     = "$${input.rawRequest}"
  }
}

# `resource.type.name` is Terraform's long form of `type.name`.
output "support_queue_name" {
  value = resource.genesyscloud_routing_queue.support.name
}

# A role looked up by name; without org state the lookup itself cannot be checked.
data "genesyscloud_auth_role" "admin" {
  name = "Master Admin"
}

resource "genesyscloud_oauth_client" "by_role_lookup" {
  name                  = "Reporting"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = data.genesyscloud_auth_role.admin.id
    division_id = "*"
  }
}

data "genesyscloud_auth_division_home" "home" {}

resource "genesyscloud_oauth_client" "in_home" {
  name                  = "Reporting (home)"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = data.genesyscloud_auth_role.admin.id
    division_id = data.genesyscloud_auth_division_home.home.id
  }
}

data "genesyscloud_flow" "main_menu" {
  name = "Main Menu"
}

data "genesyscloud_flow" "closed" {
  name = "Closed Message"
}

resource "genesyscloud_architect_ivr" "main_line" {
  name                 = "Main line"
  dnis                 = ["+13125550100"]
  open_hours_flow_id   = data.genesyscloud_flow.main_menu.id
  closed_hours_flow_id = data.genesyscloud_flow.closed.id
}

# Divisions by reference, by lookup, as a raw id (unchecked without org state), and every
# division for a wrap-up code.
resource "genesyscloud_auth_division" "emea" {
  name = "EMEA"
}

resource "genesyscloud_routing_queue" "emea_sales" {
  name        = "EMEA Sales"
  division_id = genesyscloud_auth_division.emea.id
}

resource "genesyscloud_routing_queue" "home_sales" {
  name        = "Home Sales"
  division_id = data.genesyscloud_auth_division_home.home.id
}

resource "genesyscloud_routing_queue" "raw_sales" {
  name        = "Raw Sales"
  division_id = "3c4d5e6f-0000-4000-8000-000000000001"
}

resource "genesyscloud_routing_wrapupcode" "everywhere" {
  name        = "Resolved (everywhere)"
  division_id = "*"
}

output "emea_sales_division" {
  value = genesyscloud_routing_queue.emea_sales.division_id
}

# Velocity's own braces: references (`${...}`, `$!{...}`) and directives (`#{if}`).
resource "genesyscloud_integration_action" "velocity_braces" {
  name           = "Estimated wait"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}/mediatypes/$!{input.mediaType}/estimatedwaittime#{if}($input.x)#{end}"
  }
}

# Braces in another service's query language are the query's own.
resource "genesyscloud_integration_action" "sosl" {
  name           = "Find contact"
  category       = "Salesforce"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/services/data/v37.0/search/?q=$esc.url(\"FIND {john} IN PHONE FIELDS\")"
  }
}

# JSON bodies' own braces, names in braces that are not Velocity's, and references written in
# full (`${...}`, `$!{...}`, `$name`).
resource "genesyscloud_integration_action" "templates_in_braces" {
  name           = "Rename queue"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "PUT"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}"
    request_template     = "{\"name\": \"$!{input.queueName}\", \"note\": \"{placeholder}\", \"acwSettings\": {\"wrapupPrompt\": \"OPTIONAL\"}}"
  }
  config_response {
    translation_map = {
      names = "$.entities[*].name"
    }
    success_template = "{\"raw\": $${rawResult}, \"names\": $names, \"kept\": \"{literal}\"}"
  }
}

# A translation map's name in braces inside a JSON string may be a literal (a URI template).
resource "genesyscloud_integration_action" "uri_template" {
  name           = "Item link"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://items.example.com/items"
  }
  config_response {
    translation_map = {
      id = "$.id"
    }
    success_template = "{\"id\": $${id}, \"link\": \"https://items.example.com/items/{id}\"}"
  }
}
