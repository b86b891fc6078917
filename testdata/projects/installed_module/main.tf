# The data-actions integration comes from a registry module, installed by `terraform init`
# under .terraform/modules/ (the manifest maps the call to its directory).
resource "genesyscloud_auth_role" "data_actions" {
  name = "Data actions"
  permission_policies {
    domain      = "routing"
    entity_name = "queue"
    action_set  = ["view"]
  }
}

module "data_actions" {
  source           = "acme/data-actions-integration/genesyscloud"
  version          = "1.0.0"
  integration_name = "Data actions"
  role_id          = genesyscloud_auth_role.data_actions.id
}

resource "genesyscloud_integration_action" "disconnect" {
  name           = "Disconnect"
  category       = module.data_actions.integration_name
  integration_id = module.data_actions.integration_id
  config_request {
    request_url_template = "/api/v2/conversations/$${input.conversationId}/disconnect"
    request_type         = "POST"
  }
}
