"""Assessment (考核) of communities by street, district and city, and the
standardization titles (规范化创建: 合格社区、示范社区)."""
