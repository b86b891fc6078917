variable "client_secret" {
  default = "s3cr3t-literal-value-1"
}

resource "genesyscloud_integration_credential" "data_actions" {
  name                 = "Data Actions"
  credential_type_name = "pureCloudOAuthClient"
  fields = {
    clientId     = "3b2b1c2d-0000-4000-8000-000000000001"
    clientSecret = "s3cr3t-literal-value-2"
  }
}

# An old credential, commented out but still committed.
# resource "genesyscloud_integration_credential" "old" {
#   fields = { clientSecret = "s3cr3t-literal-value-3" }
# }
/*
provider "genesyscloud" {
  oauthclient_secret = "s3cr3t-literal-value-4"
}
*/

# A secret in JSON written as a string: the whole template is masked.
resource "genesyscloud_integration_action" "partner_token" {
  name           = "Partner token"
  category       = "Partner"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://login.partner.example.com/oauth/token"
    request_template     = "{\"grant_type\": \"client_credentials\", \"client_secret\": \"Zx8vQ2mN4pL7rT1wK9yB3cF6hJ0dS5gA\"}"
  }
}

# The secret that signs an open messaging integration's webhook calls.
resource "genesyscloud_conversations_messaging_integrations_open" "partner_chat" {
  name                                                = "Partner chat"
  outbound_notification_webhook_url                   = "https://chat.partner.example.com/genesys"
  outbound_notification_webhook_signature_secret_token = "q7Lm2Vx9Rt4Kp8Wz3Nb6"
}

# Literals inside function calls, conditionals, parentheses and `for` expressions.
variable "base_fields" {
  type    = map(string)
  default = {}
}
variable "use_sandbox" {
  type    = bool
  default = false
}
resource "genesyscloud_integration_credential" "merged" {
  name                 = "Merged"
  credential_type_name = "pureCloudOAuthClient"
  fields               = merge(var.base_fields, { clientId = "svc", clientSecret = "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdC" })
}
resource "genesyscloud_integration_action" "encoded_token" {
  name           = "Encoded token"
  category       = "Partner"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "POST"
    request_url_template = "https://login.partner.example.com/oauth/token"
    request_template     = jsonencode({ client_id = "svc", client_secret = "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdG" })
  }
}
locals {
  as_map      = tomap({ password = "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdH" })
  by_org      = var.use_sandbox ? { clientSecret = "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdI" } : { clientSecret = var.base_fields["prod"] }
  wrapped     = ({ api_key = "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdJ" })
  per_env     = { for env in ["dev", "test"] : env => { access_token = "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdK" } }
  sensitive   = { client_secret = sensitive("Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdL") }
  fallback    = { client_secret = coalesce(var.base_fields["secret"], "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdM") }
  either      = { password = var.use_sandbox ? "Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdN" : var.base_fields["password"] }
}
