resource "genesyscloud_integration" "data_actions" {
  intended_state   = "ENABLED"
  integration_type = "purecloud-data-actions"
  config {
    name = "Genesys Cloud Data Actions"
    credentials = {
      pureCloudOAuthClient = genesyscloud_integration_credential.data_actions.id
    }
  }
}

resource "genesyscloud_integration_credential" "data_actions" {
  name                 = "Data actions client"
  credential_type_name = "pureCloudOAuthClient"
  fields = {
    clientId     = genesyscloud_oauth_client.data_actions.id
    clientSecret = "rT9x-Qm2vL8kZpW4yN6bC1dF3gH5jK7s"
  }
}
