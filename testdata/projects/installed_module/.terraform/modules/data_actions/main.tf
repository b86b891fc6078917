variable "integration_name" {
  type = string
}

variable "role_id" {
  type = string
}

resource "genesyscloud_oauth_client" "client" {
  name                  = "${var.integration_name} client"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = var.role_id
    division_id = "*"
  }
}

resource "genesyscloud_integration_credential" "credential" {
  name                 = "${var.integration_name} credential"
  credential_type_name = "pureCloudOAuthClient"
  fields = {
    clientId     = genesyscloud_oauth_client.client.client_id
    clientSecret = genesyscloud_oauth_client.client.client_secret
  }
}

resource "genesyscloud_integration" "integration" {
  intended_state   = "ENABLED"
  integration_type = "purecloud-data-actions"
  config {
    name = var.integration_name
    credentials = {
      pureCloudOAuthClient = genesyscloud_integration_credential.credential.id
    }
  }
}

# Not the user's to fix: not reported.
resource "genesyscloud_routing_queue" "unused" {
  name         = "Module queue"
  wrapup_codes = [genesyscloud_routing_wrapupcode.not_declared.id]
}

output "integration_id" {
  value = genesyscloud_integration.integration.id
}

output "integration_name" {
  value = var.integration_name
}
