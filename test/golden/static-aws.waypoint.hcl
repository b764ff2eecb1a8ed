project = "acme-site"

app "web" {
  path = "frontend"

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
      command = ["pilot-sync", "--provider", "aws", "--region", "us-east-1", "--bucket", "acme-site-web-7f3a", "--dir", "dist", "--distribution", "E2QWRUHAPOMQZL"]
    }
  }
}
