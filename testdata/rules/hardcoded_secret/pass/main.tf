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
