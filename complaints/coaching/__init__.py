"""coaching"""
