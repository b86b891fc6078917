resource "genesyscloud_auth_role" "wrapup" {
  name        = "Wrap-up writer"
  permissions = ["group_creation"]
  permission_policies {
    domain      = "conversation"
    entity_name = "participant"
    action_set  = ["wrapup"]
  }
  permission_policies {
    domain      = "routing"
    entity_name = "*"
    action_set  = ["view", "edit"]
  }
}
