variable "client_secret" {
  sensitive = true
}

resource "genesyscloud_integration_credential" "data_actions" {
  name                 = "Data Actions"
  credential_type_name = "pureCloudOAuthClient"
  fields = {
    clientId     = "3b2b1c2d-0000-4000-8000-000000000001"
    clientSecret = var.client_secret
  }
}

locals {
  # A custom-auth data action's header is filled in at run time from the integration's
  # credentials (Velocity): no secret is written here.
  auth_headers = {
    Authorization = "Basic $encoding.base64(\"$${credentials.clientId}:$${credentials.clientSecret}\")"
  }
  # Masked in a documentation example.
  example_credential = {
    clientSecret = "XXXXXXXXXX"
  }
}
variable "secret_name" {
  default = "x"
}

# Comments that name secrets without holding one.
# client_secret = var.client_secret
# clientSecret = "your-client-secret"
// the "client_secret" attribute is set from TF_VAR_client_secret
locals {
  color = "#0a0a0a" # a "hash" in a string is not a comment
}

# Secrets filled in at run time in a JSON template, and a schema that names a password field.
resource "genesyscloud_integration_action" "partner_token" {
  name           = "Partner token"
  category       = "Partner"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  contract_input = "{\"type\": \"object\", \"properties\": {\"password\": {\"type\": \"string\"}}}"
  config_request {
    request_type         = "POST"
    request_url_template = "https://login.partner.example.com/oauth/token"
    request_template     = "{\"client_secret\": \"$${credentials.clientSecret}\", \"password\": \"$!{input.password}\"}"
  }
}

# Function calls and conditionals whose strings are keys, paths or references, not secrets.
variable "credentials" {
  type      = map(string)
  default   = {}
  sensitive = true
}
locals {
  looked_up = lookup(var.credentials, "client_secret", "")
  per_org   = { client_secret = lookup(var.credentials, "prod_client_secret_emea", null) }
  marked    = { client_secret = sensitive(var.credentials["client_secret"]) }
  chosen    = { password = length(var.credentials) > 0 ? var.credentials["password"] : null }
  joined    = merge(var.credentials, { clientId = "svc", clientSecret = var.credentials["secret"] })
  encoded   = jsonencode({ client_id = "svc", client_secret = "$${credentials.clientSecret}" })
}
