resource "genesyscloud_auth_role" "wrapup" {
  name        = "Wrap-up writer"
  permissions = ["conversation:participant:wrap-up"]
  permission_policies {
    domain      = "conversation"
    entity_name = "participant"
    action_set  = ["wrap-up"]
  }
  permission_policies {
    domain      = "routing"
    entity_name = "queues"
    action_set  = ["view"]
  }
}

# A misspelt domain granted whole.
resource "genesyscloud_auth_role" "supervisor" {
  name = "Supervisor"
  permission_policies {
    domain      = "routng"
    entity_name = "*"
    action_set  = ["*"]
  }
}

# Two letters swapped in an action.
resource "genesyscloud_auth_role" "reader" {
  name = "Queue reader"
  permission_policies {
    domain      = "routing"
    entity_name = "queue"
    action_set  = ["veiw"]
  }
}

# A misspelt entity granted with three actions: one finding, at the entity.
resource "genesyscloud_auth_role" "editor" {
  name = "Queue editor"
  permission_policies {
    domain      = "routing"
    entity_name = "queues"
    action_set  = ["view", "add", "edit"]
  }
}
