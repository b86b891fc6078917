resource "genesyscloud_routing_wrapupcode" "win" {
  name = "Win"
}

output "win_id" {
  value = genesyscloud_routing_wrapupcode.win.id
}
