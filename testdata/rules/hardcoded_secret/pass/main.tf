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
