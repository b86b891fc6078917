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
