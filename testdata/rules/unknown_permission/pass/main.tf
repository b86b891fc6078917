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

# Products' own domains, which the Platform API never mentions, granted whole by an admin role
# (as org exports write them): no misspelling of an API permission.
resource "genesyscloud_auth_role" "admin" {
  name = "Admin"
  permission_policies {
    domain      = "ui"
    entity_name = "*"
    action_set  = ["*"]
  }
  permission_policies {
    domain      = "cobrowse"
    entity_name = "*"
    action_set  = ["*"]
  }
}
