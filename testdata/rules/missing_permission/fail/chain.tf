resource "genesyscloud_auth_role" "reader" {
  name = "Queue reader"
  permission_policies {
    domain      = "routing"
    entity_name = "queue"
    action_set  = ["view"]
  }
}

resource "genesyscloud_oauth_client" "data_actions" {
  name                  = "Data actions"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = genesyscloud_auth_role.reader.id
    division_id = "*"
  }
}

resource "genesyscloud_integration_credential" "data_actions" {
  name                 = "Data actions"
  credential_type_name = "pureCloudOAuthClient"
  fields = {
    # The usual form: the client's own computed id and secret (`client_id` is its id).
    clientId     = genesyscloud_oauth_client.data_actions.client_id
    clientSecret = genesyscloud_oauth_client.data_actions.client_secret
  }
}

resource "genesyscloud_integration" "data_actions" {
  intended_state   = "ENABLED"
  integration_type = "purecloud-data-actions"
  config {
    name = "Data actions"
    credentials = {
      pureCloudOAuthClient = genesyscloud_integration_credential.data_actions.id
    }
  }
}

variable "client_secret" {
  sensitive = true
}

