"""escalations"""
