project = "docs"

app "site" {
  path = "."

  build {
    use "files" {}

    hook {
      when       = "before"
      command    = ["yarn", "--cwd", path.app, "install", "--frozen-lockfile"]
      on_failure = "fail"
    }

    hook {
      when       = "before"
      command    = ["yarn", "--cwd", path.app, "build"]
      on_failure = "fail"
    }
  }

  deploy {
    use "exec" {
      command = ["pilot-sync", "--provider", "gcp", "--project", "docs-prod-123", "--bucket", "pilot-docs-site", "--dir", "build"]
    }
  }
}
