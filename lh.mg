:load hang.md
