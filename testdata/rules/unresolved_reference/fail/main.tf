resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "support" {
  name         = local.support_nam
  description  = var.description
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolvd.id]
}

locals {
  support_name = "Support"
  a            = local.b
  b            = local.a
}

resource "genesyscloud_outbound_campaign" "c" {
  name     = local.a
  queue_id = data.genesyscloud_routing_queue.sales.id
}

module "codes" {
  source = "./codes"
}

resource "genesyscloud_routing_queue" "other" {
  name         = "Other"
  wrapup_codes = [module.codes.resolved]
}

# A bare name, and `env`, which Terraform does not have.
provider "genesyscloud" {
  oauthclient_id     = GENESYSCLOUD_OAUTHCLIENT_ID
  oauthclient_secret = env.TF_VAR_GENESYSCLOUD_OAUTHCLIENT_SECRET
}

variable "GENESYSCLOUD_OAUTHCLIENT_SECRET" {
  type      = string
  sensitive = true
}

# A data action's Velocity `${...}` not escaped as `$${...}`: Terraform interpolates it.
resource "genesyscloud_integration_action" "lookup" {
  name            = "Lookup"
  category        = "Lookup"
  integration_id  = "2b3c4d5e-0000-4000-8000-000000000001"
  contract_input  = jsonencode({ type = "object" })
  contract_output = jsonencode({ type = "object" })
  config_request {
    request_url_template = "/api/v2/routing/queues/${input.queueId}"
    request_type         = "GET"
    request_template     = "${rawRequest}"
  }
}

# `moved`'s `to` must be declared; an index is no resource name.
moved {
  from = genesyscloud_routing_queue.old_support
  to   = genesyscloud_routing_queue.suport
}

output "first_queue" {
  value = genesyscloud_routing_queue[0].id
}

# A role's name where its id goes (a public repository passes "Home" through a variable).
resource "genesyscloud_oauth_client" "by_role_name" {
  name                  = "Reporting"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = "Master Admin"
    division_id = "*"
  }
}

# The home division's name where its id goes.
resource "genesyscloud_oauth_client" "in_home_by_name" {
  name                  = "Reporting (home)"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = data.genesyscloud_auth_role.admin.id
    division_id = "Home"
  }
}

data "genesyscloud_auth_role" "admin" {
  name = "Master Admin"
}

# A schedule where the IVR's closed-hours flow goes, and a flow's name where its id goes.
resource "genesyscloud_architect_schedules" "closed" {
  name  = "Closed"
  start = "2021-08-04T17:00:00.000000"
  end   = "2021-08-05T08:00:00.000000"
  rrule = "FREQ=DAILY;INTERVAL=1"
}

resource "genesyscloud_architect_ivr" "main_line" {
  name                 = "Main line"
  dnis                 = ["+13125550100"]
  open_hours_flow_id   = "Main Menu"
  closed_hours_flow_id = genesyscloud_architect_schedules.closed.id
}

# A resource that refers to itself (Terraform: "Self-referential block").
resource "genesyscloud_routing_email_route" "support" {
  domain_id  = "example.mypurecloud.com"
  pattern    = "support"
  from_name  = "Support"
  from_email = "support@example.mypurecloud.com"
  reply_email_address {
    domain_id = "example.mypurecloud.com"
    route_id  = genesyscloud_routing_email_route.support.id
  }
}

# A data source that filters on its own result.
data "genesyscloud_routing_queue" "loop" {
  name = data.genesyscloud_routing_queue.loop.name
}

# Division names where division ids go: a queue's, through a variable, and a wrap-up code's.
variable "queue_division" {
  default = "EMEA"
}

resource "genesyscloud_auth_division" "emea" {
  name = "EMEA"
}

resource "genesyscloud_routing_queue" "emea_sales" {
  name        = "EMEA Sales"
  division_id = var.queue_division
}

resource "genesyscloud_routing_wrapupcode" "home_resolved" {
  name        = "Resolved (home)"
  division_id = "Home"
}
